Console.WriteLine("autopass");
